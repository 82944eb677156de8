package localenv

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// With --detach, `up` hands the port-forwards, the log collection and the
// dashboard to a background berth process per project (`berth up --hold`),
// like `docker compose up -d` leaves containers publishing their ports. Its
// pid and state live in the project's state folder; `down` stops it.

// StateDir is where berth keeps a project's local state.
func StateDir(project string) string {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "berth", "projects", project)
}

// DaemonState is what the background process reports once it serves.
type DaemonState struct {
	PID   int      `json:"pid"`
	URLs  []string `json:"urls"`
	UI    string   `json:"ui,omitempty"`
	Ready bool     `json:"ready"`
}

func statePath(project string) string { return filepath.Join(StateDir(project), "daemon.json") }

// LogPath is the background process's log file.
func LogPath(project string) string { return filepath.Join(StateDir(project), "daemon.log") }

// StartDaemon starts `berth <args>` in its own session, detached from the
// terminal, and waits until it reports it serves (or fails).
func StartDaemon(project string, args []string, timeout time.Duration) (DaemonState, error) {
	StopDaemon(project)
	if err := os.MkdirAll(StateDir(project), 0o700); err != nil {
		return DaemonState{}, err
	}
	self, err := os.Executable()
	if err != nil {
		return DaemonState{}, err
	}
	logf, err := os.OpenFile(LogPath(project), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return DaemonState{}, err
	}
	defer logf.Close()
	cmd := exec.Command(self, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return DaemonState{}, err
	}
	pid := cmd.Process.Pid
	_ = cmd.Process.Release()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if st, err := ReadDaemon(project); err == nil && st.PID == pid && st.Ready {
			return st, nil
		}
		if !alive(pid) {
			return DaemonState{}, fmt.Errorf("the background process stopped; its log %s ends with:\n%s", LogPath(project), tailFile(LogPath(project), 10))
		}
		time.Sleep(100 * time.Millisecond)
	}
	return DaemonState{}, fmt.Errorf("the background process did not report ready within %s (log: %s)", timeout, LogPath(project))
}

// WriteDaemon records the background process's state (called by it).
func WriteDaemon(project string, st DaemonState) error {
	if err := os.MkdirAll(StateDir(project), 0o700); err != nil {
		return err
	}
	data, _ := json.Marshal(st)
	tmp := statePath(project) + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, statePath(project))
}

// ReadDaemon returns the state of a project's background process.
func ReadDaemon(project string) (DaemonState, error) {
	var st DaemonState
	data, err := os.ReadFile(statePath(project))
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, err
	}
	if !alive(st.PID) {
		return st, errors.New("not running")
	}
	return st, nil
}

// StopDaemon stops a project's background process, if one runs.
func StopDaemon(project string) {
	st, err := ReadDaemon(project)
	if err == nil && st.PID > 0 {
		_ = syscall.Kill(st.PID, syscall.SIGTERM)
		for i := 0; i < 50 && alive(st.PID); i++ {
			time.Sleep(100 * time.Millisecond)
		}
		if alive(st.PID) {
			_ = syscall.Kill(st.PID, syscall.SIGKILL)
		}
	}
	_ = os.Remove(statePath(project))
}

func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	// a zombie child still answers kill 0: look at its state
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	return err != nil || !strings.Contains(string(data), ") Z ")
}

func tailFile(path string, n int) string {
	data, _ := os.ReadFile(path)
	return tail(string(data), n)
}
