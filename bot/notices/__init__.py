"""Live program notices: the public calls (기업마당, K-Startup) fetched, stored and matched to a founder."""
