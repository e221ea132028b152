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
# Muun kuin järjestökyselyn tulokset kysymys kerrallaan lomakkeen
# järjestyksessä: valintakysymyksistä vastausten jakauma, asteikkokysymyksistä
# keskiarvo 95 %:n luottamusvälein ja jakauma, matriiseista rivien keskiarvot
# ja avoimista vastauksista teemat ja poimintoja. Luvut, joiden taustalla on
# liian vähän vastaajia, on piilotettu.

# %% tags=["parameters"]
survey = "jarjestopaiva"
data_dir = "../data"
demo = False

# %%
from IPython.display import display
from tilannekuva.pages.common import PageData
from tilannekuva.pages.generic_survey import GenericSurveyPage

page = GenericSurveyPage(PageData(data_dir), survey)
page.headline()

# %% [markdown]
# ## Vastaukset kysymyksittäin

# %%
for block in page.questions():
    display(block)

# %% [markdown]
# ## Tärkeys ja toteutuminen
#
# Kun kyselylomake kysyy samoista asioista sekä tärkeyttä että toteutumista,
# asiat asetetaan järjestykseen tärkeyden ja toteutumisen eron mukaan samoin
# kuin järjestökyselyn sivulla.

# %%
for block in page.importance_state():
    display(block)

# %% [markdown]
# ## Erot vastaajaryhmien välillä
#
# Ryhmien keskiarvoja verrataan, ja ero mainitaan vain, kun se on sattumaa
# suurempi (Kruskal–Wallis, Holmin korjaus). Ryhmä, jossa on liian vähän
# vastaajia, on piilotettu, samoin ryhmä, josta pienen ryhmän luvut voisi
# päätellä.

# %%
for block in page.group_sections():
    display(block)

# %% [markdown]
# ## Yhteistyöasiat ja tavoitteet
#
# Kysymykset, jotka kyselylomakkeessa on merkitty koskemaan järjestöyhteistyön
# asioita tai tavoitteita. Samat luvut näkyvät kehittämisen painopisteiden
# seurannassa.

# %%
page.evidence()

# %% [markdown]
# ## Muutos kierrosten välillä

# %%
page.round_table()
