"""Desa Devisa: the system of record for Indonesia's export village programme."""
