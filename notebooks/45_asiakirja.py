# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version,-jupytext.text_representation.format_version
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python (tilannekuva)
#     language: python
#     name: tilannekuva
# ---

# %% [markdown]
# # Asiakirja
#
# Asiantuntijaryhmän aineistoon tuotu asiakirja (muistio, lausunto, raportti tai
# esitys): sen tiedot, yhteistyöasiat ja tavoitteet, joihin se liittyy, ja sen
# teksti kappaleittain. Asioihin liittyvät kappaleet on korostettu.

# %% tags=["parameters"]
document = ""
data_dir = "../data"
demo = False

# %%
from tilannekuva.pages.common import PageData
from tilannekuva.pages.document import DocumentView

view = DocumentView(PageData(data_dir), document)
view.metadata()

# %% [markdown]
# ## Liittyy yhteistyöasioihin ja tavoitteisiin

# %%
view.linked_entries()

# %% [markdown]
# ## Teksti

# %%
view.text()
