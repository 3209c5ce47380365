/*
 * ptb-window.h: the measurement-window protocol, shared by the guest side
 * (ptb-marker.h) and the qemu plugins (ptb-plugin.h): a page at the user
 * address PTB_MARKER_ADDR with a return instruction at the START and at
 * the STOP offset; the plugins recognise a call by the instruction's
 * virtual address. Constants only.
 */
#ifndef PTB_WINDOW_H
#define PTB_WINDOW_H

#define PTB_MARKER_ADDR 0x7e5000000000UL
#define PTB_MARKER_START_OFF 0x000
#define PTB_MARKER_STOP_OFF 0x040

#endif /* PTB_WINDOW_H */
