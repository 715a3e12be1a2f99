"""Completeness and consistency of case data, and the migration of legacy case spreadsheets."""
