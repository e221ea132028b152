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
# # Kehittämisen painopisteet
#
# Järjestöjen, hyvinvointialueen ja kuntien yhteistyön avoimet kysymykset:
# mikä on kunkin asian tila, kuka siitä vastaa, mitä on viimeksi päätetty ja
# mitä järjestöt kyselyssä asiasta sanovat. Tilat ja päätökset tulevat
# asiantuntijaryhmän tietopohjasta; kyselyn luvut ovat koko maakunnan
# keskiarvoja asteikolla 1–5 (95 %:n luottamusväli suluissa).

# %% tags=["parameters"]
region = "MK13"
data_dir = "../data"
demo = False

# %%
from tilannekuva.pages.common import PageData
from tilannekuva.pages.priorities import Tracker

tracker = Tracker(PageData(data_dir))
tracker.summary()

# %% [markdown]
# ## Yhteistyöasiat

# %%
tracker.table("item")

# %% [markdown]
# ## Vaikuttamistyön tavoitteet

# %%
tracker.table("goal")

# %% [markdown]
# ## Asiakirjat ja päätökset
#
# Kunkin asian asiakirjat (laji, päivämäärä ja asiaan liittyvä kohta) ja
# sihteerin päätöslokin kirjaukset aikajärjestyksessä.

# %%
from tilannekuva.pages.document import entry_timeline

entry_timeline(tracker.data, tracker.kb)

# %% [markdown]
# ## Näyttö muista kyselyistä
#
# Muut kyselyt, esimerkiksi tilaisuuksien palautekyselyt, voivat kertoa
# yhteistyöasioista ja tavoitteista: kyselylomakkeessa kysymys tai rivi on
# merkitty koskemaan asiaa. Keskiarvo näytetään, kun vastauksia on riittävästi;
# asteikko voi olla eri kuin järjestökyselyssä.

# %%
from tilannekuva.pages.survey_evidence import other_surveys_evidence

other_surveys_evidence(tracker.data)

# %% [markdown]
# ## Tilojen aikajana

# %%
tracker.timeline_figure()
