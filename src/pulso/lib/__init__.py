"""Model-free helpers shared by Pulso's apps (statistics, text normalisation)."""
