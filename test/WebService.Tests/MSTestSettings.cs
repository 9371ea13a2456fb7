// The fixture's fits and the service share one process: run the tests one at a time.
[assembly: DoNotParallelize]
