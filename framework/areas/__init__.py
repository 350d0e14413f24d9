"""Areas: the 43 territorial police force areas of England and Wales, their regions and names."""
