// libtorch's random generator, default device and thread count are process-wide: a test that seeds the generator
// and compares two runs fails when another test draws random numbers meanwhile, so tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
