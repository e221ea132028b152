"""Survey analysis: importance–performance, goals, groups, rounds, open-answer themes.

Functions take the processed survey table and return tidy frames whose every
aggregate carries its ``n``; the privacy layer decides what may be shown.
"""
