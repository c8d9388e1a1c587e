// The C ABI test compiled as C++: the headers must mean the same in both languages.
#include "c_abi_test.c"
