// The translation unit of wp_test_pch (scripts/cmake/WolfpackTesting.cmake): it exists only to
// build the precompiled header that the test targets share.
