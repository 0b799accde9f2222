#!/usr/bin/env python3
"""Unit test of failure_compare.py: which stderr pairs the fuzz script calls the same failure.

No tshark here: the texts are written out as Wireshark 4.0, GLib and ASan/UBSan print them. The
first pair is the one of issue 14 (a TLS reassembly warning of Wireshark 4.0.17, seen with and
without the plugin, blamed on sipvi because the process id and the time differed).
test_fuzz_culprit.py runs the same path with the real tshark.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from failure_compare import normalise, same_failure  # noqa: E402

TLS_WITH = (" ** (tshark:21001) 07:07:43.749516 [Epan WARNING] -- Dissector bug, protocol TLS, in "
            "packet 61: ./epan/dissectors/packet-tls.c:2513: failed assertion "
            "\"frag_info && frag_info->offset == 0\"\n")
TLS_WITHOUT = (" ** (tshark:21044) 07:07:44.102233 [Epan WARNING] -- Dissector bug, protocol TLS, in "
               "packet 61: ./epan/dissectors/packet-tls.c:2513: failed assertion "
               "\"frag_info && frag_info->offset == 0\"\n")
SIPVI_WARNING = (" ** (tshark:21001) 07:07:43.749601 [sipvi WARNING] -- sipvi: the SIP dissector has "
                 "no field sip.Status-Code; sipvi stays idle\n")


def asan_report(pid, base, shadow, sipvi_frame=False, kind="heap-buffer-overflow"):
    """An ASan report as libasan 12 prints it, with the pid, the addresses and the shadow bytes
    of one run."""
    frames = [f"    #0 0x{base + 0x1a2b:x} in dissect_tls_handshake "
              "(/lib/x86_64-linux-gnu/libwireshark.so.16+0x1a2b3c4)"]
    if sipvi_frame:
        frames.append(f"    #1 0x{base + 0x9999:x} in dissect_sipvi "
                      "(/tmp/sipvi-test-ab12cd/plugins/4.0/epan/sipvi.so+0x5c1d)")
    frames.append(f"    #{len(frames)} 0x{base + 0x2c3d:x} in call_dissector_work "
                  "(/lib/x86_64-linux-gnu/libwireshark.so.16+0x9a8b7c)")
    return "\n".join([
        "=================================================================",
        f"=={pid}==ERROR: AddressSanitizer: {kind} on address 0x6020{base % 0xffff:08x} at pc "
        f"0x{base + 0x1a2b:x} bp 0x7ffd{base % 0xfff:08x} sp 0x7ffd{base % 0xfff + 8:08x}",
        f"READ of size 1 at 0x6020{base % 0xffff:08x} thread T0",
        *frames,
        "",
        f"0x6020{base % 0xffff:08x} is located 0 bytes to the right of 4-byte region "
        f"[0x6020{base % 0xffff - 4:08x},0x6020{base % 0xffff:08x})",
        "allocated by thread T0 here:",
        f"    #0 0x{base + 0x77:x} in __interceptor_malloc "
        "../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69",
        f"    #1 0x{base + 0x88:x} in g_malloc (/lib/x86_64-linux-gnu/libglib-2.0.so.0+0x5e6f8)",
        "",
        f"SUMMARY: AddressSanitizer: {kind} (/lib/x86_64-linux-gnu/libwireshark.so.16+0x1a2b3c4) "
        "in dissect_tls_handshake",
        "Shadow bytes around the buggy address:",
        f"  0x0c047fff{base % 0xfff:04x}: fa fa {shadow} fa fa fd fa fa fa fd fa fa fa fd fa",
        f"=>0x0c047fff{base % 0xfff + 16:04x}: fa fa[04]fa fa fa {shadow} fa fa fa fa fa fa fa fa fa",
        "Shadow byte legend (one shadow byte represents 8 application bytes):",
        "  Addressable:           00",
        "  Heap left redzone:       fa",
        f"=={pid}==ABORTING",
        ""])


class Normalise(unittest.TestCase):
    def test_wireshark_log_line_loses_pid_and_time_only(self):
        self.assertEqual(
            normalise(TLS_WITH),
            " ** (tshark) [Epan WARNING] -- Dissector bug, protocol TLS, in packet 61: "
            "./epan/dissectors/packet-tls.c:2513: failed assertion "
            "\"frag_info && frag_info->offset == 0\"")

    def test_wireshark_log_line_with_position_function_and_no_time(self):
        self.assertEqual(
            normalise(" ** (tshark:7) (notime) [Main DEBUG] ./ui/cli/tshark.c:812 -- main(): x\n"),
            " ** (tshark) [Main DEBUG] ./ui/cli/tshark.c:812 -- main(): x")
        self.assertEqual(
            normalise(" ** (noinit) ** (tshark:7) 00:00:01 [Epan WARNING] -- y"),
            " ** (noinit) ** (tshark) [Epan WARNING] -- y")

    def test_glib_default_handler_line(self):
        self.assertEqual(
            normalise("(tshark:4242): GLib-GIO-WARNING **: 07:07:43.749: no D-Bus\n"),
            "(tshark): GLib-GIO-WARNING **: no D-Bus")

    def test_asan_report_keeps_kind_frames_and_summary(self):
        text = normalise(asan_report(1234, 0x7f3a00000000, "00"))
        self.assertIn("==PID==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x… at pc "
                      "0x… bp 0x… sp 0x…", text)
        self.assertIn("    #0 0x… in dissect_tls_handshake "
                      "(/lib/x86_64-linux-gnu/libwireshark.so.16+0x…)", text)
        self.assertIn("SUMMARY: AddressSanitizer: heap-buffer-overflow", text)
        self.assertNotIn("fa fa", text)  # the shadow dump, not the legend
        self.assertIn("  Heap left redzone:       fa", text)
        self.assertTrue(text.endswith("==PID==ABORTING"), text)

    def test_hex_outside_sanitizer_reports_stays(self):
        line = " ** (tshark:1) 01:02:03.000004 [Epan WARNING] -- bad pointer 0x1234\n"
        self.assertIn("bad pointer 0x1234", normalise(line))


class SameFailure(unittest.TestCase):
    def test_issue_14_pair_differs_only_in_pid_and_time(self):
        self.assertTrue(same_failure(("stderr", TLS_WITH), ("stderr", TLS_WITHOUT)))

    def test_messages_that_differ_are_not_the_same(self):
        other_packet = TLS_WITHOUT.replace("in packet 61", "in packet 62")
        self.assertFalse(same_failure(("stderr", TLS_WITH), ("stderr", other_packet)))
        other_protocol = TLS_WITHOUT.replace("protocol TLS", "protocol SIP")
        self.assertFalse(same_failure(("stderr", TLS_WITH), ("stderr", other_protocol)))
        other_level = TLS_WITHOUT.replace("[Epan WARNING]", "[Epan CRITICAL]")
        self.assertFalse(same_failure(("stderr", TLS_WITH), ("stderr", other_level)))

    def test_a_message_only_the_plugin_run_writes_is_the_plugins(self):
        self.assertFalse(same_failure(("stderr", TLS_WITH + SIPVI_WARNING),
                                      ("stderr", TLS_WITHOUT)))
        self.assertFalse(same_failure(("stderr", TLS_WITH + TLS_WITH),
                                      ("stderr", TLS_WITHOUT)))

    def test_outcome_must_match(self):
        self.assertFalse(same_failure(("stderr", TLS_WITH), (None, "")))
        self.assertFalse(same_failure(("exit 1", TLS_WITH), ("stderr", TLS_WITHOUT)))
        self.assertTrue(same_failure(("hang", "no exit after 120 s"),
                                     ("hang", "no exit after 120 s")))

    def test_paths_are_compared(self):
        # Both runs read the same copy of the capture: a different path is a different message.
        a = 'tshark: The file "/tmp/sipvi-test-x/fuzz/a.pcap" appears to have been cut short\n'
        self.assertTrue(same_failure(("exit 2", a), ("exit 2", a)))
        self.assertFalse(same_failure(("exit 2", a), ("exit 2", a.replace("a.pcap", "b.pcap"))))

    def test_glib_pair(self):
        self.assertTrue(same_failure(
            ("stderr", "(tshark:10): GLib-WARNING **: 07:00:00.001: x\n"),
            ("stderr", "(tshark:11): GLib-WARNING **: 07:00:02.999: x\n")))
        self.assertFalse(same_failure(
            ("stderr", "(tshark:10): GLib-WARNING **: 07:00:00.001: x\n"),
            ("stderr", "(tshark:11): GLib-WARNING **: 07:00:02.999: y\n")))

    def test_asan_reports_of_two_runs_of_one_wireshark_bug(self):
        # Another pid, other addresses (ASLR), another heap around the bad byte.
        self.assertTrue(same_failure(("signal 6", asan_report(1234, 0x7f3a00000000, "00")),
                                     ("signal 6", asan_report(5678, 0x7f9b00000000, "fd"))))

    def test_asan_report_through_the_plugin_is_the_plugins(self):
        self.assertFalse(same_failure(
            ("signal 6", asan_report(1234, 0x7f3a00000000, "00", sipvi_frame=True)),
            ("signal 6", asan_report(5678, 0x7f9b00000000, "00"))))

    def test_two_different_aborts_are_not_the_same(self):
        # Before issue 14 any two "signal 6" were the same failure: an abort of sipvi's early in
        # the file was blamed on a Wireshark abort later in it.
        self.assertFalse(same_failure(
            ("signal 6", asan_report(1234, 0x7f3a00000000, "00", kind="heap-use-after-free")),
            ("signal 6", asan_report(5678, 0x7f9b00000000, "00"))))

    def test_ubsan_diagnostic(self):
        def ubsan(pid, addr):
            return (f"./epan/dissectors/packet-x.c:12:5: runtime error: load of misaligned address "
                    f"0x{addr:x} for type 'int', which requires 4 byte alignment\n"
                    f"    #0 0x{addr + 5:x} in dissect_x (/lib/libwireshark.so.16+0x12)\n"
                    f"=={pid}==ABORTING\n")
        self.assertTrue(same_failure(("exit 1", ubsan(1, 0x55aa01)), ("exit 1", ubsan(2, 0x77bb03))))
        self.assertFalse(same_failure(("exit 1", ubsan(1, 0x55aa01)),
                                      ("exit 1", ubsan(2, 0x77bb03).replace(":12:5:", ":13:5:"))))


if __name__ == "__main__":
    unittest.main()
