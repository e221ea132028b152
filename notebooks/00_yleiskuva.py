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
# # Yleiskuva
#
# Järjestökentän tilannekuva ennen asiantuntijaryhmän kokousta: mitä
# aineistosta nousee esiin, mikä on muuttunut edellisestä koonnista ja mistä
# luvut tulevat. Pienten ryhmien lukuja ei näytetä (tietosuoja).

# %% tags=["parameters"]
region = "MK13"
data_dir = "../data"
demo = False

# %%
from tilannekuva.pages import overview
from tilannekuva.pages.common import PageData, anchor

data = PageData(data_dir)

# %% [markdown]
# ## Keskeiset nostot
#
# Aineistosta johdetut nostot: suurimmat kehittämistarpeet, yhteistyöasioiden
# tilan muutokset, sattumaa suuremmat muutokset tunnusluvuissa ja uudet teemat
# avoimissa vastauksissa. Kustakin nostosta pääsee sen taustalla olevaan kuvaan.

# %%
overview.messages(data)

# %% [markdown]
# ## Tunnusluvut

# %%
anchor("tunnusluvut")

# %%
overview.headline(data)

# %% [markdown]
# ## Muutokset edellisestä koonnista

# %%
overview.change_summary(data)

# %% [markdown]
# ## Yhdistykset kunnittain

# %%
overview.associations_chart(data)

# %% [markdown]
# ## Kyselyyn vastanneet toimijatyypeittäin

# %%
overview.respondents_chart(data)

# %% [markdown]
# ## Aineistot

# %%
overview.sources(data)
