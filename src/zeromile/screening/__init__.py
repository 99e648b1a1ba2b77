"""Screening: from a dossier to a verdict with evidence for every declaration."""

from zeromile.screening.api import Screening, ScreeningResult, screen_dossier
from zeromile.screening.pipeline import Extension
from zeromile.screening.settings import ScreeningSettings

__all__ = ["Extension", "Screening", "ScreeningResult", "ScreeningSettings", "screen_dossier"]
