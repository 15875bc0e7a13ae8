"""The reports: their texts, redaction and the pages that show them."""
