# Reference values for the comparative statistics (cohort/rules), from R's survival package.
# Run from this folder: Rscript make-reference.R   (R 4 with survival; Debian: r-base-core
# r-cran-survival). Writes the data sets the Java tests read (*.csv) and one file of expected
# values per case (expected-*.csv: name,value); CI reads the committed files and needs no R.
suppressMessages(library(survival))
options(digits = 17)

write_data <- function(df, file) write.csv(df, file, row.names = FALSE, na = "")
expected <- new.env()
put <- function(case, name, value) {
  rows <- data.frame(name = name, value = sprintf("%.17g", value))
  assign(case, rbind(get0(case, envir = expected, ifnotfound = NULL), rows), envir = expected)
}
put_cox <- function(case, fit) {
  s <- summary(fit)
  b <- coef(fit)
  put(case, paste0("coef.", names(b)), b)
  put(case, paste0("se.", names(b)), sqrt(diag(vcov(fit))))
  put(case, paste0("p.", names(b)), s$coefficients[, "Pr(>|z|)"])
  put(case, "loglik.null", fit$loglik[1])
  put(case, "loglik", fit$loglik[2])
  lr <- 2 * (fit$loglik[2] - fit$loglik[1])
  put(case, "lr.test", lr)
  put(case, "lr.p", pchisq(lr, length(b), lower.tail = FALSE))
  put(case, "wald.test", fit$wald.test)  # summary() rounds it
  put(case, "wald.p", pchisq(fit$wald.test, length(b), lower.tail = FALSE))
  put(case, "score.test", fit$score)
  put(case, "events", fit$nevent)
  zph <- cox.zph(fit, transform = "km", terms = FALSE)
  put(case, paste0("zph.chisq.", rownames(zph$table)), zph$table[, "chisq"])
  put(case, paste0("zph.p.", rownames(zph$table)), zph$table[, "p"])
}
put_logrank <- function(case, sd) {
  put(case, "logrank.chisq", sd$chisq)
  put(case, "logrank.p", pchisq(sd$chisq, length(sd$n) - 1, lower.tail = FALSE))
}

# Stanford heart transplant: counting-process rows, transplant as a time-varying covariate.
heart2 <- data.frame(start = heart$start, stop = heart$stop, event = heart$event,
                     age = heart$age, year = heart$year, surgery = heart$surgery,
                     transplant = as.integer(as.character(heart$transplant)), id = heart$id)
write_data(heart2, "heart.csv")
put_cox("heart_unadjusted", coxph(Surv(start, stop, event) ~ transplant, data = heart2,
                                  ties = "efron"))
put_cox("heart_adjusted", coxph(Surv(start, stop, event) ~ transplant + age + surgery + year,
                                data = heart2, ties = "efron"))
put_cox("heart_strata", coxph(Surv(start, stop, event) ~ transplant + age + strata(surgery),
                              data = heart2, ties = "efron"))

# Veteran lung cancer trial: right-censored, many ties, strata by cell type.
vet <- data.frame(time = veteran$time, status = veteran$status, trt = veteran$trt - 1,
                  karno = veteran$karno, age = veteran$age,
                  celltype = as.integer(veteran$celltype))
write_data(vet, "veteran.csv")
put_cox("veteran_strata", coxph(Surv(time, status) ~ trt + karno + age + strata(celltype),
                                data = vet, ties = "efron"))
put_logrank("veteran_logrank", survdiff(Surv(time, status) ~ trt, data = vet))
put_logrank("veteran_logrank_strata",
            survdiff(Surv(time, status) ~ trt + strata(celltype), data = vet))

# NCCTG lung: complete cases of age, sex, ph.ecog, wt.loss.
lg <- na.omit(data.frame(time = lung$time, status = as.integer(lung$status == 2),
                         female = as.integer(lung$sex == 2), age = lung$age,
                         ecog = lung$ph.ecog, wtloss = lung$wt.loss, inst = lung$inst))
write_data(lg, "lung.csv")
put_cox("lung_adjusted", coxph(Surv(time, status) ~ female + age + ecog + wtloss,
                               data = lg, ties = "efron"))
put_logrank("lung_logrank", survdiff(Surv(time, status) ~ female, data = lg))

# Propensity of being female given age, ECOG and weight loss; stabilised weights truncated at
# the 1st and 99th percentiles (R's default quantile, type 7); weighted Kaplan-Meier by sex
# (R's default robust variance for non-integer case weights) and standardised mean differences.
ps_fit <- glm(female ~ age + ecog + wtloss, family = binomial, data = lg,
              control = glm.control(epsilon = 1e-14, maxit = 100))
b <- coef(ps_fit)
put("lung_weights", paste0("coef.", names(b)), b)
put("lung_weights", paste0("se.", names(b)), sqrt(diag(vcov(ps_fit))))
ps <- fitted(ps_fit)
pa <- mean(lg$female)
w <- ifelse(lg$female == 1, pa / ps, (1 - pa) / (1 - ps))
cut <- quantile(w, c(0.01, 0.99), type = 7, names = FALSE)
wt <- pmin(pmax(w, cut[1]), cut[2])
put("lung_weights", paste0("weight.", seq_along(wt)), wt)
km <- survfit(Surv(time, status) ~ female, data = lg, weights = wt, conf.type = "log-log")
sk <- summary(km, censored = TRUE)
grp <- sub("female=", "", as.character(sk$strata))
key <- paste0(grp, "@", sk$time)
put("lung_weighted_km", paste0("surv.", key), sk$surv)
put("lung_weighted_km", paste0("std.err.", key), sk$std.err)
put("lung_weighted_km", paste0("lower.", key), sk$lower)
put("lung_weighted_km", paste0("upper.", key), sk$upper)
put("lung_weighted_km", paste0("n.risk.", key), sk$n.risk)
smd <- function(x, a, w) {
  sd_pooled <- sqrt((var(x[a == 1]) + var(x[a == 0])) / 2)
  (weighted.mean(x[a == 1], w[a == 1]) - weighted.mean(x[a == 0], w[a == 0])) / sd_pooled
}
for (v in c("age", "ecog", "wtloss")) {
  put("lung_balance", paste0("smd.before.", v), smd(lg[[v]], lg$female, rep(1, nrow(lg))))
  put("lung_balance", paste0("smd.after.", v), smd(lg[[v]], lg$female, wt))
}

for (case in ls(expected)) {
  write.csv(get(case, envir = expected), paste0("expected-", case, ".csv"), row.names = FALSE,
            quote = FALSE)
}
