"""Deterministic synthetic data at the scale of a province or of the whole country."""

from desadevisa.operations.generator.run import GenerationSummary, generate, generated_delete
from desadevisa.operations.generator.scales import SCALES, Scale

__all__ = ["SCALES", "GenerationSummary", "Scale", "generate", "generated_delete"]
