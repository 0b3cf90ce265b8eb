internal import CXlsxCapture
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps libxlsxwriter's own `[ERROR]` lines off the process's standard error.
///
/// The wrapper checks every input the library would warn about before calling it, so the
/// library has nothing to say about inputs. What is left are faults only it sees while
/// ``Workbook/close()`` writes the file (a disk that fills up, an I/O error); for those it
/// prints its lines with `fprintf(stderr, …)` and returns an error code. ``capturing(_:)``
/// runs such a call with those lines kept, so they become part of the ``XLSXError`` instead
/// of reaching cron mail.
///
/// How, and why it is safe with many threads (the report closes workbooks on every core):
/// redirecting file descriptor 2 would also swallow whatever any other thread prints
/// meanwhile, so it is not done. Instead, while at least one thread is inside a capture, the
/// C variable `stderr` points at a stream (C target CXlsxCapture) that routes each write by
/// the thread making it: the capturing thread's text goes to that thread's own buffer,
/// every other thread's text goes to descriptor 2 at once, unchanged. Only swapping the
/// variable is serialised (a mutex around two assignments), never the closes themselves.
/// Swift code that writes with `FileHandle.standardError` (as adhere does) writes to the
/// descriptor and is never involved. The limit: a C function on another thread that reads
/// the `stderr` variable at the very instant it is swapped reads one of two valid streams,
/// both of which reach descriptor 2; on platforms without `fopencookie` or `funopen`
/// nothing is captured and the lines pass through.
enum LibraryOutput {
    /// Runs `body` (a call into libxlsxwriter) and returns its result with what the library
    /// printed to stderr on this thread meanwhile ("" for nothing).
    static func capturing<T>(_ body: () -> T) -> (T, String) {
        adhere_capture_begin()
        let result = body()
        guard let text = adhere_capture_end() else { return (result, "") }
        defer { free(text) }
        return (result, String(cString: text))
    }
}
