"""Chart and map specifications: DataFrame in, Altair chart or pydeck Deck out (no I/O); one module
per view or kind of chart, with the palette, fonts and axes they share in ``common``."""
