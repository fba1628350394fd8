# ~kiosk/.profile on the kiosk PC (install as /home/kiosk/.profile, owner root, mode 0644).
# The autologin on tty1 starts the kiosk's X session: no window manager, no cursor, no screen saver,
# no DPMS, no TCP. startx writes the session's cookie to ~/.Xauthority, which gastvrij-kiosk.service
# reads. When X ends (stopped or crashed) this login ends too, and getty logs in again.
if [ -z "${DISPLAY:-}" ] && [ "$(tty)" = /dev/tty1 ]; then
    exec startx /opt/gastvrij/deploy/kiosk-pc/xinitrc -- :0 vt1 -keeptty -nolisten tcp -nocursor -s 0 -dpms
fi
