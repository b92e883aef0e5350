"""Charts for the reports. :mod:`.style` holds the one shared look (colours, fonts,
number formats, the example-data mark); the other modules hold the charts of a domain."""
