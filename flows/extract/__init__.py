"""Figure extraction: pure functions of an article's text, language and publication date."""

from flows.extract.figures import EXTRACTOR_VERSION, Figure, extract_figures

__all__ = ["EXTRACTOR_VERSION", "Figure", "extract_figures"]
