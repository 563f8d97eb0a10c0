"""The closed vocabularies, read from seeds/vocabulary.yaml so contracts and lexicons agree."""

from flows.extract.lexicon import load_vocabulary

VOCABULARY = load_vocabulary()
METRICS = sorted(VOCABULARY.metrics)
QUALIFIERS = VOCABULARY.qualifiers
SCOPES = VOCABULARY.scopes
MODALITIES = VOCABULARY.modalities
PRECISIONS = VOCABULARY.as_of_precisions
CLAIMANTS = sorted(VOCABULARY.claimants)
