"""The web app: the evidence page behind each reminder's personal link, and the QMR's board."""
