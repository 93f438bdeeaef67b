//go:build windows && msvcrtshim

package msvcrtshim

/*
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <wchar.h>

// int __stdio_common_vsnprintf_s(options, buffer, bufferCount, maxCount,
// format, locale, args): UCRT's engine behind _vsnprintf_s; msvcrt has
// _vsnprintf_s itself.
int __stdio_common_vsnprintf_s(uint64_t options, char *buffer, size_t bufferCount,
		size_t maxCount, const char *format, void *locale, va_list args) {
	(void)options;
	(void)locale;
	return _vsnprintf_s(buffer, bufferCount, maxCount, format, args);
}

// int __stdio_common_vswprintf(options, buffer, bufferCount, format, locale,
// args): UCRT's engine behind vswprintf/_vsnwprintf.
int __stdio_common_vswprintf(uint64_t options, wchar_t *buffer, size_t bufferCount,
		const wchar_t *format, void *locale, va_list args) {
	(void)options;
	(void)locale;
	return _vsnwprintf(buffer, bufferCount, format, args);
}

// UCRT has no _timezone/_tzname variables: its headers read them through
// the functions __timezone() and __tzname(), called through the import
// table entries __imp___timezone and __imp___tzname. msvcrt exports the
// variables; these entries point at functions that return them.
static long *ln_timezone(void) { return &_timezone; }
static char **ln_tzname(void) { return _tzname; }
void *__imp___timezone = (void *)ln_timezone;
void *__imp___tzname = (void *)ln_tzname;

// std::basic_streambuf<char>::seekpos(std::fpos<_Mbstatet>, std::ios_base::openmode),
// the UCRT flavour of a libstdc++ virtual (msvcrt's mbstate_t is an int, so
// Debian's libstdc++ has only the fpos<int> one). The base class version
// does nothing and returns pos_type(-1). Windows x64 ABI: the 16-byte
// fpos result is written through a hidden pointer (first argument), then
// this, then the fpos argument by reference, then the mode.
struct ln_fpos {
	long long off;
	long long state;
};
struct ln_fpos *ln_streambuf_seekpos(struct ln_fpos *result, void *self, struct ln_fpos *pos, int mode)
	__asm__("_ZNSt15basic_streambufIcSt11char_traitsIcEE7seekposESt4fposI9_MbstatetESt13_Ios_Openmode");
struct ln_fpos *ln_streambuf_seekpos(struct ln_fpos *result, void *self, struct ln_fpos *pos, int mode) {
	(void)self;
	(void)pos;
	(void)mode;
	result->off = -1;
	result->state = 0;
	return result;
}
*/
import "C"
