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
# # Avoimet vastaukset
#
# Vastaukset kysymykseen *Mikä on mielestäsi tärkein kehittämiskohde järjestöjen ja
# hyvinvointialueen yhteistyössä?* teemoiteltuina. Teemat tunnistetaan sanojen
# perusmuodoista analyytikoiden ylläpitämällä sanastolla.

# %% tags=["parameters"]
region = "MK13"
data_dir = "../data"
demo = False

# %%
from tilannekuva.pages.common import PageData, anchor
from tilannekuva.pages.open_answers import OpenAnswers

page = OpenAnswers(PageData(data_dir))
page.summary()

# %%
anchor("teemat")

# %%
page.theme_chart()

# %% [markdown]
# ## Teemat ja yhteistyöasiat

# %%
page.item_links()

# %% [markdown]
# ## Poimintoja vastauksista

# %%
page.quotes()
