"""Bringing survey responses in bulk: API batches and historical Qualtrics/LimeSurvey exports."""
