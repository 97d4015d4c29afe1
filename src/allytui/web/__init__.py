"""The app in a browser (`allytui serve`): member logins, one app process per session, each committing as its member."""
