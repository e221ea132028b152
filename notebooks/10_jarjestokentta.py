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
# # Järjestökenttä
#
# Rekisteröidyt yhdistykset alueella: kuinka monta niitä on, millä toimialoilla,
# suhteessa asukaslukuun ja miten määrä on muuttunut vuosittain. Yhdistysten
# määrät ovat julkisia rekisteritietoja.

# %% tags=["parameters"]
region = "MK13"
municipality = None
data_dir = "../data"
demo = False

# %%
from tilannekuva.pages.common import PageData
from tilannekuva.pages.field import FieldScope

field = FieldScope(PageData(data_dir), municipality)
field.intro()

# %% [markdown]
# ## Yhdistykset toimialoittain

# %%
field.field_figure()

# %% [markdown]
# ## Yhdistyksiä suhteessa asukaslukuun

# %%
field.per_1000_figure()

# %%
field.map_figure()

# %% [markdown]
# ## Rekisteröinnit ja lakkaamiset vuosittain

# %%
field.per_year_figure()

# %% [markdown]
# ## Vertailu
#
# Kunnan sivulla kunta verrattuna koko maakuntaan; maakunnan sivulla seutukunnat.

# %%
field.comparison()
