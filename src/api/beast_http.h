// Beast's HTTP headers, with GCC 12's false -Wmaybe-uninitialized in basic_parser (a boost::optional) silenced.
#pragma once
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop
