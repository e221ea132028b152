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
# # Kuntakortti
#
# Yhden kunnan järjestökenttä ja kyselyn tulokset tulostettavana sivuna.
# Kunnan kyselytulokset näytetään vain, kun vastaajia on riittävästi
# (tietosuoja); muuten kortilla on koko maakunnan luvut.

# %% tags=["parameters"]
municipality = "179"
data_dir = "../data"
demo = False

# %%
from tilannekuva.pages.card import MunicipalityCard
from tilannekuva.pages.common import PageData

card = MunicipalityCard(PageData(data_dir), municipality)
card.header()

# %% [markdown]
# ## Yhdistykset toimialoittain

# %%
card.field.field_figure()

# %% [markdown]
# ## Kunta ja maakunta

# %%
card.field.comparison()

# %% [markdown]
# ## Kehittämisen painopisteet

# %%
card.priorities()
