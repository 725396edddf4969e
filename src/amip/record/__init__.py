"""Turn an edition into its record for archives and machines: the archival PDF/A parts (sources, XMP)."""
