"""Screening of import entry lines against the watch list compiled from active orders, entity lists and the CAATSA presumption."""
