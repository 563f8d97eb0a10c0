"""Pictures of the warehouse, for people: no prefect here."""
