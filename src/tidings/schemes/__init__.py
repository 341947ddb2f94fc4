"""Event schemes: projections of coded ``Event``s onto other label sets.

Nothing here touches a spaCy Doc: each scheme reads an ``Event`` (or a ``CodedArticle``)
and the data tables, so the CLI, the formats and the API use them without the NLP.

- ``tidings.schemes.cameo``: CAMEO code, root, Goldstein score and quad class
- ``tidings.schemes.acled``: ACLED event_type / sub_event_type (rules in acled.yaml)
- ``tidings.schemes.main``: the article's main event, for single-label schemes
"""
