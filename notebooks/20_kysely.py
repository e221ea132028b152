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
# # Kyselyn tulokset
#
# Järjestökyselyn yhteistyöasiat: kuinka tärkeinä vastaajat niitä pitävät ja
# miten ne ovat toteutuneet. Kehittämisen painopisteitä ovat asiat, joiden
# tärkeyden ja toteutumisen ero on selvästi suurimpien joukossa. Keskiarvojen
# ympärillä on 95 %:n luottamusväli; luvut, joiden taustalla on liian vähän
# vastaajia, on piilotettu.

# %% tags=["parameters"]
region = "MK13"
subregion = None
org_type = None
data_dir = "../data"
demo = False

# %%
from tilannekuva.pages.survey import load_scope

scope = load_scope(data_dir, subregion=subregion, org_type=org_type)
scope.headline()

# %% [markdown]
# ## Tärkeys ja toteutuminen
#
# Vaaka-akselilla toteutuminen, pystyakselilla tärkeys. Katkoviivat ovat kaikkien
# asioiden keskiarvot; vasen yläneljännes on tärkeää mutta heikosti toteutunutta.

# %%
scope.ipa_figure()

# %% [markdown]
# ## Kehittämisen painopisteet

# %%
scope.priorities()

# %% [markdown]
# ## Vaikuttamistyön tavoitteet

# %%
scope.goals_figure()

# %% [markdown]
# ## Erot vastaajaryhmien välillä
#
# Ryhmien keskiarvoja verrataan, ja ero mainitaan vain, kun se on sattumaa
# suurempi. Piilotetun ryhmän keskiarvo näkyy viivana.

# %%
scope.group_differences("org_type")

# %%
scope.group_differences("subregion")

# %%
scope.group_differences("field")

# %% [markdown]
# ## Muutos edelliseen kierrokseen

# %%
scope.round_changes()
