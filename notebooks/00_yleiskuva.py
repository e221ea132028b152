# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python (tilannekuva)
#     language: python
#     name: tilannekuva
# ---

# %% [markdown]
# # Yleiskuva
#
# Keski-Suomen järjestökentän tilannekuva: järjestöjen määrä kunnittain ja
# kyselyyn vastanneet. Luvut perustuvat yhdistysrekisterin otteeseen ja
# järjestökyselyyn; alle viiden vastaajan ryhmien lukuja ei näytetä.

# %% tags=["parameters"]
region = "MK13"
data_dir = "../data"
demo = False

# %%
from tilannekuva.pages import overview
from tilannekuva.pages.common import PageData, html_table

data = PageData(data_dir)

# %% [markdown]
# ## Tunnusluvut

# %%
html_table(overview.headline(data), numeric=("Arvo",))

# %% [markdown]
# ## Yhdistykset kunnittain

# %%
overview.associations_chart(data)

# %% [markdown]
# ## Kyselyyn vastanneet toimijatyypeittäin

# %%
overview.respondents_chart(data)
