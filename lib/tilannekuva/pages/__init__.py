"""What each report page computes and shows: one module per notebook.

Notebooks stay thin (parameters, a few calls, prose); the figures and tables
they show are built here, where they are tested.
"""
