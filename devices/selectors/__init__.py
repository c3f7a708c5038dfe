"""Every read of the devices app, scoped to the school and to what the member may see."""
