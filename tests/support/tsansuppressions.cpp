// Linked into every test executable of a ThreadSanitizer build (see BuildScopeTesting.cmake).
//
// Qt is not built with TSan. Qt Test's watchdog thread and the main thread meet in
// pthread_cond_* calls inside Qt Core that TSan only half sees, and it reports a race
// in Qt itself in any Qt Test binary. Ignoring what Qt Core and Qt Test pass through the
// interceptors keeps every race in our own code reportable, even on a stack below
// QTest::qRun.
extern "C" const char* __tsan_default_suppressions()
{
    return "called_from_lib:libQt6Core.so\n"
           "called_from_lib:libQt6Test.so\n";
}
