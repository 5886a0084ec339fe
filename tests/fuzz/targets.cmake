# targets.cmake -- the fuzz targets, one per input surface. Each NAME has
# tests/fuzz/fuzz_NAME.c and a seed corpus in tests/fuzz/corpus/NAME/.
# A target is listed here only once the module it drives has landed, so a
# half-written module never breaks anyone's build through us.
set(IK_FUZZ_TARGETS json logic rulebook answer session batch)
