"""What founders need, for the operators: conversations aggregated from the tracker store, drawn as charts."""
