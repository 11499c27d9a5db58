"""Stands in for the `testcontainers` package when npm test runs the vendored Python sample
(serverless-test-samples python-test-samples/step-functions-local-mock) unchanged: see core/container.py."""
