"""Content families: data files that generate pages (support, releases, training, ...)."""
