// A stand-in bcryptprimitives.dll for throw-away Wine 8 prefixes (the
// Windows installer check, scripts/package/check-wine.sh). Go 1.22 and
// later get random bytes from ProcessPrng in bcryptprimitives.dll, which
// every Windows 10/11 has but Wine 8 lacks: without it the Go runtime
// stops at start-up. This one forwards to RtlGenRandom (advapi32).
// Never shipped: real Windows has the real DLL.
#include <windows.h>

BOOLEAN NTAPI SystemFunction036(PVOID buffer, ULONG length); // RtlGenRandom

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n)) {
			return FALSE;
		}
		data += n;
		length -= n;
	}
	return TRUE;
}
