// embed.cpp -- examples/embed.c compiled as C++: the public headers'
// extern "C" guards let a C++ program link libintake unchanged.
#include "embed.c"
