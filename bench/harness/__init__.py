"""What every bench script shares: the project's paths and settings, databases, servers, HTTP, wrk."""
