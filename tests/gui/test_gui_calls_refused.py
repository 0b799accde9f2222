"""wireshark -z sipvi,calls: the calls report is tshark's (text printed when tshark ends), so the
window refuses it with a message saying where to get it, instead of printing an empty report on a
terminal after the window closes. The capture still opens and is annotated."""

import os
import shutil
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guiharness  # noqa: E402
import views  # noqa: E402
from guiharness import squash  # noqa: E402

MESSAGE = ("-z sipvi,calls: báo cáo cuộc gọi chỉ có trong tshark: tshark -r FILE -q -z sipvi,calls. "
           "Trong Wireshark: Telephony → Chẩn đoán cuộc gọi (sipvi). "
           "(the calls report is for tshark only; Wireshark shows it as a table)")


class CallsReportRefusedTest(guiharness.GuiTestCase):

    CAPTURE = "call-486.pcapng"
    EXTRA_ARGS = ("-z", "sipvi,calls")

    def test_1_refused_with_a_message(self):
        want = squash("báo cáo cuộc gọi chỉ có trong tshark")
        # The dialog's small font: OCR reads its first two lines reliably, the last word wraps.
        english = squash("(the calls report is for")

        # Where the table is: the menu path (the arrow may read as anything).
        menu = [squash("Trong Wireshark: Telephony"), squash("Chẩn đoán cuộc gọi (sipvi)")]

        def shown(lines):
            text = squash(" ".join(line.text for line in lines))
            return want in text and english in text and all(m in text for m in menu)
        # The message box is a window of its own: read it alone (on Qt 6 it lies over the packet
        # details, and OCR of the whole screen mixes the two).
        dialogs = self.gui.wait(lambda: sorted((w for w in self.gui.top_windows()
                                                if w != self.gui.main), key=int) or None,
                                "the message's dialog")
        self.gui.read_until("refusal", None, shown, f"the message {MESSAGE!r}", window=dialogs[-1])
        # Dismissed with its OK button, as a user does; then the window is the user's again.
        self.gui.close_with(dialogs[-1], "OK", "the message's dialog")

    @classmethod
    def tearDownClass(cls):
        # Stopped, not quit with Ctrl+Q as the other GUI tests do: after a -z argument refused at
        # start-up, Wireshark 4.0 under this harness did not act on Ctrl+Q (not investigated; the
        # refusal and the annotated capture are what this test is about). Its stderr is still
        # checked for crashes and dissector bugs.
        gui = cls.gui
        try:
            gui.stop()
            gui.check_stderr()
        finally:
            if cls.any_failed:
                sys.stderr.write(f"\nGUI screenshots of this run: {gui.artifacts}\n")
            else:
                shutil.rmtree(gui.artifacts, ignore_errors=True)

    def test_2_capture_still_annotated(self):
        line, _ = views.packet_row(self.gui, 3, "Status: 486 Busy Here | Máy bận")
        self.assertTrue(squash(line.text).endswith(squash("Status: 486 Busy Here | May ban")),
                        line.text)


if __name__ == "__main__":
    unittest.main()
