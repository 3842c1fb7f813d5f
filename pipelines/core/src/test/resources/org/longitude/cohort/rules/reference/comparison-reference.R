# Reference values for the whole maintenance comparison (cohort.rules.MaintenanceComparison) on
# the interval rows of a demo study run (demo-intervals.csv: the published intervals table, ids
# shortened), from R's survival package. Run from this folder: Rscript comparison-reference.R
# Writes expected-demo_<condition>.csv (name,value). The same rules as the Java code: complete
# cases for the adjusted analyses; a covariate left out when it has one value, or (Cox) fewer
# than 10 relapses away from its most common value, or (propensity) a landmark group with nobody
# away from it; landmark 60 days; weights truncated at the 1st and 99th percentiles.
suppressMessages(library(survival))
options(digits = 17)
landmark <- 60
min_events <- 10

d <- read.csv("demo-intervals.csv", stringsAsFactors = FALSE)
d$sex_female <- ifelse(is.na(d$sex) | d$sex == "", NA, as.integer(d$sex == "female"))
d$landmark_group[d$landmark_group == ""] <- NA

out <- NULL
put <- function(name, value) {
  out <<- rbind(out, data.frame(name = name, value = sprintf("%.17g", value)))
}
mode_of <- function(x) as.numeric(names(which.max(table(x))))

for (condition in sort(unique(d$condition))) {
  out <- NULL
  rows <- d[d$condition == condition, ]
  covariates <- c("baseline_score", "age_at_index", "sex_female", "si_at_baseline",
                  "initial_infusions")
  if (condition != "depression") covariates <- setdiff(covariates, "si_at_baseline")
  # One line per participant: follow-up, relapse, group, covariates.
  people <- do.call(rbind, lapply(split(rows, rows$participant_id), function(p) {
    data.frame(participant_id = p$participant_id[1], clinic = p$clinic[1],
               followup = max(p$stop), relapsed = max(p$event),
               group = p$landmark_group[1], p[1, covariates])
  }))
  complete_ids <- people$participant_id[complete.cases(people[, covariates])]

  cox <- function(prefix, data, terms, strata) {
    rhs <- paste(c("maintenance", terms, if (strata) "strata(clinic)"), collapse = " + ")
    fit <- coxph(as.formula(paste("Surv(start, stop, event) ~", rhs)), data = data,
                 ties = "efron")
    b <- coef(fit)
    put(paste0(prefix, ".nterms"), length(b))
    put(paste0(prefix, ".coef.", names(b)), b)
    put(paste0(prefix, ".se.", names(b)), sqrt(diag(vcov(fit))))
    put(paste0(prefix, ".loglik"), fit$loglik[2])
    put(paste0(prefix, ".score.test"), fit$score)
    put(paste0(prefix, ".wald.test"), fit$wald.test)
    zph <- cox.zph(fit, terms = FALSE)
    put(paste0(prefix, ".zph.chisq.", rownames(zph$table)), zph$table[, "chisq"])
  }
  cox("unadjusted", rows, character(0), FALSE)
  adj_people <- people[people$participant_id %in% complete_ids, ]
  kept <- Filter(function(v) {
    x <- adj_people[[v]]
    length(unique(x)) > 1 && sum(adj_people$relapsed[x != mode_of(x)]) >= min_events
  }, covariates)
  cox("adjusted", rows[rows$participant_id %in% complete_ids, ], kept, TRUE)

  lm <- people[!is.na(people$group), ]
  lm$time <- lm$followup - landmark
  lm$maintenance <- as.integer(lm$group == "maintenance")
  put("logrank.chisq", survdiff(Surv(time, relapsed) ~ maintenance, data = lm)$chisq)
  put("logrank_strata.chisq",
      survdiff(Surv(time, relapsed) ~ maintenance + strata(clinic), data = lm)$chisq)

  w_people <- lm[lm$participant_id %in% complete_ids, ]
  ps_terms <- Filter(function(v) {
    x <- w_people[[v]]
    away <- w_people$maintenance[x != mode_of(x)]
    length(unique(x)) > 1 && any(away == 1) && any(away == 0)
  }, covariates)
  ps_fit <- glm(as.formula(paste("maintenance ~", paste(ps_terms, collapse = " + "))),
                family = binomial, data = w_people,
                control = glm.control(epsilon = 1e-14, maxit = 100))
  put("ps.nterms", length(coef(ps_fit)))
  put(paste0("ps.coef.", names(coef(ps_fit))), coef(ps_fit))
  ps <- fitted(ps_fit)
  share <- mean(w_people$maintenance)
  w <- ifelse(w_people$maintenance == 1, share / ps, (1 - share) / (1 - ps))
  cut <- quantile(w, c(0.01, 0.99), type = 7, names = FALSE)
  w_people$w <- pmin(pmax(w, cut[1]), cut[2])
  km <- survfit(Surv(time, relapsed) ~ maintenance, data = w_people, weights = w,
                conf.type = "log-log")
  sk <- summary(km, censored = TRUE)
  key <- paste0(sub("maintenance=", "", as.character(sk$strata)), "@", sk$time + landmark)
  put(paste0("km.surv.", key), sk$surv)
  put(paste0("km.std.err.", key), sk$std.err)
  put(paste0("km.lower.", key), sk$lower)
  put(paste0("km.upper.", key), sk$upper)
  a <- w_people$maintenance
  for (v in covariates) {
    x <- w_people[[v]]
    if (length(unique(x)) < 2) next
    pooled <- sqrt((var(x[a == 1]) + var(x[a == 0])) / 2)
    put(paste0("smd.before.", v), (mean(x[a == 1]) - mean(x[a == 0])) / pooled)
    put(paste0("smd.after.", v), (weighted.mean(x[a == 1], w_people$w[a == 1]) -
                                    weighted.mean(x[a == 0], w_people$w[a == 0])) / pooled)
  }
  write.csv(out, paste0("expected-demo_", condition, ".csv"), row.names = FALSE, quote = FALSE)
}
