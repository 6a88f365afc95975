"""Reads for the review screens, one module per job: page, reports (dashboard, accuracy), export."""
