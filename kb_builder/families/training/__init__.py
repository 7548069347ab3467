"""The self-guided training agenda: modules of lessons, from content/_data/training.yml."""
