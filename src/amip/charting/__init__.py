"""Turn a ChartSpec into a readable matplotlib figure and check its text boxes (used by amip.charts)."""
