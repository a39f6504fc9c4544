// Package detect finds what a fixed threshold misses: the one instance that
// has drifted away from its peers (outliers) and the series that has left
// its own past (anomalies). It holds pure functions over time series and a
// small stateful Tracker; it does no I/O, keeps no clock and logs nothing, so
// the monitor decides when to call it and with which data.
//
// # Spread
//
// Both halves measure "far" in the same robust unit: the median absolute
// deviation (MAD) of a set of values, multiplied by 1.4826 so that on normal
// noise it equals the standard deviation. Unlike the standard deviation it
// is not dragged about by the very values we are trying to spot. When more
// than half the values are identical the MAD is zero; the spread then falls
// back to the mean absolute deviation (scaled alike), which is zero only for
// a perfectly flat set.
//
// # Outliers: peers compared with each other
//
// A peer group is three or more members that should behave alike: one
// health route on each instance or region. Their values are put into time
// buckets (one minute by default) aligned on the clock, and each member gets
// the median of its own values in each bucket, so a member probed more often
// does not count more. A bucket is compared only when at least three
// members have a value in it; a member missing a bucket is simply not
// compared there.
//
// mad looks at one bucket at a time. A member's value is outlying when it
// lies more than Tolerance spreads from the median of all members in that
// bucket; the member is an outlier when more than Pct percent of its buckets
// are outlying. Because a MAD of ten values is itself noisy, a bucket's
// spread is never taken as smaller than the spread of all members'
// deviations over the whole window. mad suits members that share a level but
// not timing (buffers flushed at different moments).
//
// dbscan looks at whole shapes. Each member is a point whose coordinates
// are its bucket values. The median series (the per-bucket medians) is the
// group's centre; each member's Euclidean distance to it is measured, and
// the median of those distances times 1.5 is the radius of an ordinary
// neighbourhood (two ordinary members lie about √2 times as far from each
// other as from the centre). Members closer than Tolerance radii to each
// other are linked; every member outside the largest linked cluster is an
// outlier. Distances of members missing buckets are scaled up to the full
// number of buckets. dbscan suits members that move together: a member that
// does the same thing three minutes late is off in only two buckets, so mad
// lets it pass, but its shape is far from everyone else's and dbscan flags
// it.
//
// scaledmad and scaleddbscan are the same, except that the spread may never
// be smaller than 5% of the group's typical level. Plain mad and dbscan are
// blind to scale, so among hosts all near 18 GB a host at 18.01 GB can be an
// outlier; the scaled variants need a difference of more than Tolerance × 5%
// of the level. Use the plain ones when small absolute differences matter
// (a cache hit ratio of 96% among peers at 99%).
//
// Each Outlier names the member and says by how much it differs: its median
// and its peers' median over the same buckets, worded for the signal
// ("eu-west-1 is 4.2× slower than its peers (median 812 ms vs 190 ms)").
//
// # Anomalies: a series compared with its own past
//
// Evaluate judges the values of the last AlertWindow (5 minutes) against a
// baseline: the median and spread of the Baseline (24 hours) before the
// window. With Seasonality hour_of_week and at least three weeks of history,
// each value is instead compared with the values within half an hour of the
// same moment in up to six earlier weeks, so a quiet night, a busy Monday
// morning or a calm weekend is expected rather than alarming.
//
// A value is anomalous when it lies more than Bounds spreads from its
// baseline, in an allowed direction (drop, rise or both), and differs from
// it by at least MinChange of the baseline: a series so steady that its
// spread is almost nothing must not fire on a change of one user in a
// thousand. The series is anomalous when at least Share of the window's
// values are anomalous in the same direction, so one stray value is not an
// alert but a sudden drop is, within the window. When the baseline was
// exactly zero any sustained non-zero value counts ("errors rose from 0 to
// 3").
//
// Tracker turns verdicts into an alert with memory. It opens on an anomalous
// verdict and resolves after Recovery (10 minutes) during which less than
// half of Share was anomalous, so a series at the edge does not flap. While
// the alert is open it keeps judging against the baseline from before the
// alert began, for up to one Baseline; otherwise a lasting drop would seep
// into the rolling baseline and appear to heal within hours. After that the
// new level is accepted, and the resolution says so.
//
// Threshold is the plain alternative: fire when values have been past a
// fixed limit for a given time.
package detect
